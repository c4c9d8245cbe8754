// C++ across modules: a class hierarchy with virtual calls and RTTI, and
// std::string returned across the boundary.
#include <cstdint>
#include <string>

struct Shape {
  virtual ~Shape() = default;
  virtual double Area() const = 0;
  virtual std::string Name() const = 0;
};

struct Square : Shape {
  explicit Square(double s) : side(s) {}
  double Area() const override { return side * side; }
  std::string Name() const override { return "square"; }
  double side;
};

Shape* MakeSquare(double side) { return new Square(side); }
bool IsSquare(const Shape* s) { return dynamic_cast<const Square*>(s) != nullptr; }
std::string Describe(const Shape& s) { return s.Name() + ":" + std::to_string(s.Area()); }
int64_t Wide(int64_t a, int64_t b) { return a * b + 1; }
