// The library half of `fptrs`: function pointers handed out and taken in,
// a static table of 1,024 function pointers, and static initializers that
// point into main's data and code.
#include <stddef.h>
#include <string.h>

typedef int (*int_fn)(int);

extern int main_data[4];
int main_twice(int x);

int lib_square(int x) { return x * x; }
int_fn lib_get_square(void) { return lib_square; }
int_fn lib_get_main_twice(void) { return main_twice; }
int lib_apply(int_fn f, int x) { return f(x); }
int lib_is_square(int_fn f) { return f == lib_square; }
size_t (*lib_get_strlen(void))(const char*) { return &strlen; }
int lib_is_main_twice(int_fn f) { return f == &main_twice; }

// Static initializers relocated against main's symbols (imports).
int* lib_ptr_to_main_data = &main_data[2];
int_fn lib_ptr_to_main_twice = main_twice;

// 1,024 distinct functions in a static table.
#define F1(n) static int f##n(void) { return n; }
#define F4(n) F1(n##0) F1(n##1) F1(n##2) F1(n##3)
#define F16(n) F4(n##0) F4(n##1) F4(n##2) F4(n##3)
#define F64(n) F16(n##0) F16(n##1) F16(n##2) F16(n##3)
#define F256(n) F64(n##0) F64(n##1) F64(n##2) F64(n##3)
F256(10) F256(11) F256(12) F256(13)
#define R1(n) f##n,
#define R4(n) R1(n##0) R1(n##1) R1(n##2) R1(n##3)
#define R16(n) R4(n##0) R4(n##1) R4(n##2) R4(n##3)
#define R64(n) R16(n##0) R16(n##1) R16(n##2) R16(n##3)
#define R256(n) R64(n##0) R64(n##1) R64(n##2) R64(n##3)
int (*const lib_table[1024])(void) = {R256(10) R256(11) R256(12) R256(13)};
const int lib_table_size = sizeof lib_table / sizeof lib_table[0];
