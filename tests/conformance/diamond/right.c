int* base_address(void);
extern int base_shared;
int* right_sees(void) { return &base_shared; }
int right_read(void) { return base_shared; }
