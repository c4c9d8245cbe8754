// Its constructor ends the program.
#include <stdio.h>
#include <stdlib.h>
__attribute__((constructor)) static void quit_early(void) {
  printf("libquit constructor calls exit(4)\n");
  exit(4);
}
int never_called(void) { return 0; }
