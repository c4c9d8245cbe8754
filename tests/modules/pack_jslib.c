// Imports functions of a JS library (pack_jslib.js, in emcc --js-library
// format): `lazylink pack --js-library pack_jslib.js` counts them as defined
// and puts the library into the app.
#include <stdio.h>

int jslib_scale(int x);
double jslib_half(double x);

int main(void) {
  printf("pack_jslib: %d %.1f\n", jslib_scale(7), jslib_half(5));
  return 0;
}
