// exit: exit() called in a library ends the program with its status after
// the atexit handlers of every module ran (last registered first) and stdio
// was flushed.
#include <stdio.h>
#include <stdlib.h>
void lib_register(void);
void lib_quit(int code);
static void main_at_exit(void) { printf("\nmain's atexit handler\n"); }
int main(void) {
  lib_register();
  atexit(main_at_exit);
  lib_quit(3);
  printf("not reached\n");
  return 0;
}
