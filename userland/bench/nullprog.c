/*
 * nullprog: the smallest static glibc program, for vmbench's
 * fork + exec + wait figure (glibc start-up and exit included).
 */
int
main(void)
{
	return 0;
}
