// Bottom of a NEEDED chain: data, a function, and a BSS array.
int base_counter = 100;
static int bss_area[256];

int base_add(int x) {
  bss_area[x & 255] += x;
  return base_counter + x;
}
