/* main.c: the mediawatch program is its command line. */
#include "cli/cli.h"

int main(int argc, char **argv) { return mw_cli_main(argc, argv); }
