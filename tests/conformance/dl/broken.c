// Cannot be linked: imports a symbol nobody defines.
int broken_missing_symbol(void);
int broken_dep_fn(void);
int broken_fn(void) { return broken_missing_symbol() + broken_dep_fn(); }
