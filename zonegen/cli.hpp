// The command line: parses arguments, runs a command, and turns failures into the exit
// codes and messages of contract.md. main() only calls run_cli().
#pragma once

namespace zonegen {

int run_cli(int argc, char** argv);

}  // namespace zonegen
