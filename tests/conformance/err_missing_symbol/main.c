// err_missing_symbol: undefined symbols are link errors, all of them
// reported at once with the module that needs each.
int lib_ok(void);
int not_defined_anywhere(int);
extern int missing_data;
int main(void) { return lib_ok() + not_defined_anywhere(1) + missing_data; }
