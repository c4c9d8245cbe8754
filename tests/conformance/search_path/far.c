// Lives in far/: found through --path only.
int far_value(void) { return 17; }
