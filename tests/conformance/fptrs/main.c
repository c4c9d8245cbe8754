// fptrs: function pointers passed and returned across modules, &f equal in
// every module, a 1,024-entry table of function pointers, and static
// initializers pointing at another module's data and functions; pointers to
// libstd's functions equal from every module and from dlsym, and libstd's
// own (Emscripten's console functions, which libc calls through pointers).
#include <dlfcn.h>
#include <emscripten/console.h>
#include <stdio.h>
#include <string.h>

typedef int (*int_fn)(int);

int lib_square(int x);
int_fn lib_get_square(void);
int_fn lib_get_main_twice(void);
int lib_apply(int_fn f, int x);
int lib_is_square(int_fn f);
int lib_is_main_twice(int_fn f);
extern int* lib_ptr_to_main_data;
extern int_fn lib_ptr_to_main_twice;
extern int (*const lib_table[1024])(void);
extern const int lib_table_size;
typedef size_t (*strlen_fn)(const char*);
strlen_fn lib_get_strlen(void);

int main_data[4] = {10, 20, 30, 40};
int main_twice(int x) { return 2 * x; }

// main's static initializers against the library's symbols.
int_fn main_ptr_to_square = lib_square;
int (*const* main_ptr_to_table)(void) = &lib_table[5];

int main(void) {
  int_fn sq = lib_get_square();
  printf("square via returned pointer: %d\n", sq(7));
  printf("&lib_square equal in main and lib: %d %d\n", sq == &lib_square, lib_is_square(&lib_square));
  printf("static initializer in main equals &lib_square: %d\n", main_ptr_to_square == lib_square);
  printf("lib applies main's function: %d\n", lib_apply(main_twice, 21));
  printf("&main_twice equal in lib and main: %d %d\n", lib_is_main_twice(main_twice),
         lib_get_main_twice() == &main_twice);
  printf("lib's static pointer to main data: %d (same address: %d)\n", *lib_ptr_to_main_data,
         lib_ptr_to_main_data == &main_data[2]);
  printf("lib's static pointer to main function: %d (same: %d)\n", lib_ptr_to_main_twice(4),
         lib_ptr_to_main_twice == main_twice);
  long sum = 0;
  int distinct = 1;
  for (int i = 0; i < lib_table_size; i++) {
    sum += lib_table[i]();
    if (i > 0 && lib_table[i] == lib_table[i - 1]) distinct = 0;
  }
  printf("table of %d functions: sum %ld, all distinct %d\n", lib_table_size, sum, distinct);
  printf("main's pointer into the table: %d\n", (*main_ptr_to_table)());
  strlen_fn mine = &strlen;
  printf("&strlen equal in main, lib and dlsym: %d %d, calls: %zu\n", mine == lib_get_strlen(),
         dlsym(RTLD_DEFAULT, "strlen") == (void*)mine, mine("four"));
  fflush(stdout);
  _emscripten_outf("libstd's _emscripten_out, called through a pointer: %d", 7);
  return 0;
}
