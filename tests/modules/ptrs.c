// Function pointers and data pointers handed across modules, weak symbols,
// thread-local data.
typedef int (*binop)(int, int);

static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }

binop ptrs_ops[2] = {add, mul};
int ptrs_shared = 7;
_Thread_local int ptrs_tls = 3;

__attribute__((weak)) int ptrs_weak_value(void) { return 1; }
__attribute__((weak)) extern int ptrs_missing_weak(void);

binop ptrs_pick(int which) { return ptrs_ops[which & 1]; }
int* ptrs_data(void) { return &ptrs_shared; }
int ptrs_tls_bump(void) { return ++ptrs_tls; }
int ptrs_has_missing(void) { return ptrs_missing_weak != 0; }
