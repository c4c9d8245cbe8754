int* base_address(void);
extern int base_shared;
int* left_sees(void) { return base_address(); }
int left_bump(void) { return ++base_shared; }
