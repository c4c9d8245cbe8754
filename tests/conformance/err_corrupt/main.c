// err_corrupt: a NEEDED library truncated in transit: a link error naming
// it and giving the byte offset where the reader stopped.
int corrupt_fn(void);
int main(void) { return corrupt_fn(); }
