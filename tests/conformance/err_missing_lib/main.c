// err_missing_lib: a NEEDED library that cannot be found is a link error
// naming it.
int gone_fn(void);
int main(void) { return gone_fn(); }
