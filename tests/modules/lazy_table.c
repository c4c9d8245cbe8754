// Data another module reads: it must load before that module runs.
const int lazy_table[4] = {1, 2, 3, 4};
int lazy_table_sum(void) { return lazy_table[0] + lazy_table[1] + lazy_table[2] + lazy_table[3]; }
