// Middle of the chain: calls down, exports its own data and a pointer to
// the base module's data (a relocation against an import).
extern int base_counter;
int base_add(int x);

int* mid_counter_ptr = &base_counter;
const char mid_name[] = "mid";

int mid_twice(int x) { return base_add(x) + base_add(x); }
