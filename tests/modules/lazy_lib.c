// Loaded lazily: main only calls its functions (and takes their address).
// Its constructor runs when it loads, i.e. at the first call.
static int calls;
static int offset;

__attribute__((constructor)) static void lazy_init(void) { offset = 10; }

int lazy_work(int x) {
  calls++;
  return x * 3 + offset;
}
int lazy_calls(void) { return calls; }
