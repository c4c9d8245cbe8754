// diamond: main needs libleft and libright, which both need libbase; libbase
// is loaded once (one constructor run, one copy of its data).
#include <stdio.h>

extern int base_init_count;
int* left_sees(void);
int* right_sees(void);
int left_bump(void);
int right_read(void);

int main(void) {
  printf("libbase constructors run: %d\n", base_init_count);
  printf("one copy of libbase's data: %d\n", left_sees() == right_sees());
  left_bump();
  printf("right sees left's write: %d\n", right_read());
  return 0;
}
