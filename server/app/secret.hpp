// Where the token-signing secret comes from: the command line, else the environment,
// else one generated on first start and kept in the data dir's database, so tokens
// stay valid across restarts without anyone configuring anything. Whoever reads the secret
// can forge any token, so the database file is 0600 and the data dir 0700
// (storage/file_permissions.hpp).
#pragma once

#include <string>

#include "storage/store.hpp"

namespace harmonic::app {

std::string resolve_jwt_secret(const std::string& from_command_line, storage::Store& store);

}  // namespace harmonic::app
