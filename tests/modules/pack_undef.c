// Imports a function no module, libstd or the host defines: pack refuses it
// unless --allow-undefined pack_nowhere.
int pack_nowhere(int x);

int main(void) { return pack_nowhere(3); }
