// abort: abort() ends the program with status 134 and says so on stderr.
#include <stdio.h>
#include <stdlib.h>
int main(void) {
  printf("before abort\n");
  fflush(stdout);
  abort();
}
