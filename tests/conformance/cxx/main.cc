// cxx: C++ classes across modules: virtual calls both ways, dynamic_cast and
// typeid, std::string and iostream, global constructors in both modules
// (dependencies first) and their destructors at exit, thread_local.
#include <iostream>
#include <memory>
#include <typeinfo>

#include "shapes.h"

void log_construction(const char* what);

namespace {
struct MainGlobal {
  MainGlobal() { log_construction("main global"); }
  ~MainGlobal() { std::cout << "main global destroyed" << std::endl; }
} main_global;
}  // namespace

// A class main defines, used through the library's code.
struct Triangle : Shape {
  Triangle(double b, double h) : b_(b), h_(h) {}
  double area() const override { return b_ * h_ / 2; }
  std::string name() const override { return "triangle"; }
  double b_, h_;
};

thread_local int main_tls = 7;

int main() {
  std::cout << "constructed: " << lib_construction_log[0] << ", " << lib_construction_log[1]
            << std::endl;
  std::unique_ptr<Shape> c(make_shape("circle", 2));
  std::unique_ptr<Shape> s(make_shape("square", 3));
  Triangle t(4, 5);
  std::cout << describe(*c) << std::endl;
  std::cout << describe(*s) << std::endl;
  std::cout << describe(t) << std::endl;
  std::cout << "main calls virtuals: " << c->name() << " " << s->name() << " " << s->area()
            << std::endl;
  std::cout << "dynamic_cast in main: " << (dynamic_cast<Circle*>(c.get()) != nullptr) << " "
            << (dynamic_cast<Circle*>(s.get()) != nullptr) << " "
            << (dynamic_cast<Triangle*>(static_cast<Shape*>(&t)) != nullptr) << std::endl;
  std::cout << "dynamic_cast in lib: " << lib_is_circle(c.get()) << " " << lib_is_circle(s.get())
            << " " << lib_is_circle(&t) << std::endl;
  const Shape& circle = *c;
  std::cout << "typeid equal across modules: " << (typeid(circle) == typeid(Circle)) << " "
            << (lib_type_name(*c) == typeid(Circle).name()) << " " << lib_type_name(t) << std::endl;
  std::string g = greet("modules");
  g += " (" + std::to_string(g.size()) + " chars)";
  std::cout << g << std::endl;
  lib_print(3);
  main_tls += 1;
  const int first = lib_tls_bump();
  const int second = lib_tls_bump();
  std::cout << "thread_local: main " << main_tls << ", lib " << first << " " << second
            << ", lib's seen from main " << lib_tls << std::endl;
  return 0;
}
