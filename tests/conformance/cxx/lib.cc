// The library half of `cxx`: classes with virtual functions and RTTI,
// std::string and iostream, a global constructor, thread_local.
#include <iostream>
#include <sstream>
#include <typeinfo>

#include "shapes.h"

const char* lib_construction_log[4];
static int log_size = 0;
void log_construction(const char* what) { lib_construction_log[log_size++] = what; }

namespace {
struct LibGlobal {
  LibGlobal() { log_construction("lib global"); }
  ~LibGlobal() { std::cout << "lib global destroyed" << std::endl; }
} lib_global;
}  // namespace

Shape::~Shape() {}
std::string Shape::name() const { return "shape"; }
double Circle::area() const { return 3.0 * r_ * r_; }
std::string Circle::name() const { return "circle"; }
double Square::area() const { return s_ * s_; }

Shape* make_shape(const std::string& kind, double size) {
  if (kind == "circle") return new Circle(size);
  if (kind == "square") return new Square(size);
  return nullptr;
}

std::string describe(const Shape& s) {
  std::ostringstream out;
  out << s.name() << " with area " << s.area();
  return out.str();
}

bool lib_is_circle(const Shape* s) { return dynamic_cast<const Circle*>(s) != nullptr; }
std::string lib_type_name(const Shape& s) { return typeid(s).name(); }
std::string greet(const std::string& who) { return "hello, " + who + "!"; }
void lib_print(int n) { std::cout << "lib prints " << n << " with iostream" << std::endl; }

thread_local int lib_tls = 100;
int lib_tls_bump() { return ++lib_tls; }
