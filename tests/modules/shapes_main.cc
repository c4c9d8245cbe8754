#include <cstdint>
#include <cstdio>
#include <string>

struct Shape {
  virtual ~Shape() = default;
  virtual double Area() const = 0;
  virtual std::string Name() const = 0;
};
Shape* MakeSquare(double side);
bool IsSquare(const Shape* s);
std::string Describe(const Shape& s);
int64_t Wide(int64_t a, int64_t b);

int main() {
  Shape* s = MakeSquare(3);
  std::printf("%s %d %lld\n", Describe(*s).c_str(), IsSquare(s),
              static_cast<long long>(Wide(1LL << 33, 3)));
  delete s;
  return 0;
}
