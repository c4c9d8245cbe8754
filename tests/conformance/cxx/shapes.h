// The interface between `cxx`'s modules.
#pragma once
#include <string>

struct Shape {
  virtual ~Shape();
  virtual double area() const = 0;
  virtual std::string name() const;
};

struct Circle : Shape {
  explicit Circle(double r) : r_(r) {}
  double area() const override;
  std::string name() const override;
  double r_;
};

struct Square : Shape {
  explicit Square(double s) : s_(s) {}
  double area() const override;
  double s_;
};

Shape* make_shape(const std::string& kind, double size);
std::string describe(const Shape& s);       // virtual calls made in the library
bool lib_is_circle(const Shape* s);         // dynamic_cast in the library
std::string lib_type_name(const Shape& s);  // typeid in the library
std::string greet(const std::string& who);  // std::string both ways
void lib_print(int n);                      // iostream in the library
int lib_tls_bump();
extern thread_local int lib_tls;
extern const char* lib_construction_log[4];
