#include "zonegen/cli.hpp"

int main(int argc, char** argv) {
    return zonegen::run_cli(argc, argv);
}
