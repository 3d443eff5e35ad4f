// Fuzzes the validation of realtime event payloads: the JSON an event carries, parsed as
// the server parses it (protocol::parse_untrusted_json), then read the way each event's
// handler reads it, through the same field readers (server/core/payload_fields.hpp) and
// the parameter schema (shared/params/validation.hpp). Every event reads one payload:
// join (universe_id), parameter:update ({category, parameters}), parameter:batch_update
// (updates[]), parameter:delta ({category, changes{name:{from,to}}}), collaboration:cursor
// (position{x,y}), collaboration:message (message) and presence (status).
// Invariants:
// - a refusal is an EventError whose details serialise; nothing else is ever thrown;
// - an accepted value has the promised type and bounds: strings within their byte limit,
//   finite numbers, parameters inside their schema range in normalised form;
// - validation is idempotent: accepted (normalised) values validate again to themselves;
// - a refused parameter set reports at least one field, names it in its category and
//   applies nothing;
// - utf8_length counts code points (no more than bytes; as many as lead bytes).
#include <cmath>
#include <cstdint>
#include <string>

#include "core/event_error.hpp"
#include "core/payload_fields.hpp"
#include "core/text_rules.hpp"
#include "fuzz_check.hpp"
#include "params/schema.hpp"
#include "params/validation.hpp"
#include "protocol/socketio.hpp"

namespace core = harmonic::core;
namespace params = harmonic::params;
using nlohmann::json;

namespace {

// Runs one handler's reading of the payload; a refusal must be an EventError.
template <typename Read>
void read_event(Read read) {
  try {
    read();
  } catch (const core::EventError& error) {
    FUZZ_CHECK(!error.code().empty() && std::string(error.what()).size() > 0);
    (void)error.details().dump();
  }
}

void check_accepted_parameters(std::string_view category, const json& values) {
  FUZZ_CHECK(values.is_object() && !values.empty());
  for (const auto& [name, value] : values.items()) {
    const auto* spec = params::find_parameter(category, name);
    FUZZ_CHECK(spec != nullptr);
    switch (spec->type) {
      case params::ValueType::real:
        FUZZ_CHECK(value.is_number_float() && std::isfinite(value.get<double>()));
        FUZZ_CHECK(value.get<double>() >= spec->min && value.get<double>() <= spec->max);
        break;
      case params::ValueType::integer:
        FUZZ_CHECK(value.is_number_integer());
        FUZZ_CHECK(value.get<double>() >= spec->min && value.get<double>() <= spec->max);
        break;
      case params::ValueType::choice:
        FUZZ_CHECK(value.is_string());
        break;
      case params::ValueType::color: {
        FUZZ_CHECK(value.is_string());
        const auto& text = value.get_ref<const std::string&>();
        FUZZ_CHECK(text.size() == 7 && text[0] == '#');
        for (const char c : text.substr(1)) FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'));
        break;
      }
    }
  }
  const auto again = params::validate_parameters(category, values);
  FUZZ_CHECK(again.ok() && again.values == values);
}

params::ValidationResult validate(std::string_view category, const json& values) {
  auto result = params::validate_parameters(category, values);
  if (result.ok()) {
    check_accepted_parameters(category, result.values);
  } else {
    FUZZ_CHECK(result.values.empty());
    for (const auto& error : result.errors) FUZZ_CHECK(!error.field.empty() && !error.message.empty());
    (void)params::describe_errors(result.errors).dump();
    FUZZ_CHECK(!params::summarise_errors(result.errors).empty());
  }
  return result;
}

std::string category_of(const json& object) {
  const auto category = core::require_string(object, "category", 64);
  FUZZ_CHECK(category.size() <= 64);
  return category;
}

void parameter_update(const json& payload) {
  const auto& object = core::require_object(payload);
  const auto category = category_of(object);
  const auto values = object.find("parameters");
  if (values != object.end()) validate(category, *values);
}

void batch_update(const json& payload) {
  const auto updates = payload.find("updates");
  if (!payload.is_object() || updates == payload.end() || !updates->is_array()) return;
  for (const auto& update : *updates) read_event([&] { parameter_update(update); });
}

void delta(const json& payload) {
  const auto& object = core::require_object(payload);
  const auto category = category_of(object);
  const auto changes = object.find("changes");
  if (changes == object.end() || !changes->is_object()) return;
  json targets = json::object();
  for (const auto& [name, change] : changes->items()) {
    if (!change.is_object() || !change.contains("from") || !change.contains("to")) return;
    targets[name] = change.at("to");
    // Compare-and-set compares `from` with what is stored: same_value is an equivalence.
    const auto& from = change.at("from");
    FUZZ_CHECK(params::same_value(from, from));
    FUZZ_CHECK(params::same_value(from, change.at("to")) == params::same_value(change.at("to"), from));
  }
  const auto result = validate(category, targets);
  if (result.ok()) FUZZ_CHECK(result.values.size() == targets.size());
}

void cursor(const json& payload) {
  const auto position = payload.is_object() ? payload.find("position") : payload.end();
  if (!payload.is_object() || position == payload.end() || !position->is_object()) return;
  const double x = core::require_finite_number(*position, "x");
  const double y = core::require_finite_number(*position, "y");
  FUZZ_CHECK(std::isfinite(x) && std::isfinite(y));
}

void message(const json& payload) {
  const auto& object = core::require_object(payload);
  const auto text = core::require_string(object, "message", 8000);
  FUZZ_CHECK(text.size() <= 8000);
  // utf8_length counts code points of valid UTF-8: one per lead byte.
  const auto length = core::utf8_length(text);
  if (length) {
    std::size_t lead_bytes = 0;
    for (const char c : text) lead_bytes += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    FUZZ_CHECK(*length == lead_bytes && lead_bytes <= text.size());
  }
  // What the chat rule accepts is valid UTF-8, 1 to kChatMessageMax characters, not blank,
  // with no control character.
  if (!core::check_chat_message(text)) {
    FUZZ_CHECK(length && *length >= 1 && *length <= core::kChatMessageMax);
    FUZZ_CHECK(!core::trim_spaces(text).empty());
    for (const char c : text) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  }
}

void join(const json& payload) {
  const auto& object = core::require_object(payload);
  const auto universe_id = core::require_string(object, "universe_id");
  FUZZ_CHECK(universe_id.size() <= 256);
  const auto status = core::optional_string(object, "status", 16);
  FUZZ_CHECK(!status || status->size() <= 16);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto payload =
      harmonic::protocol::parse_untrusted_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!payload) return 0;
  read_event([&] { join(*payload); });
  read_event([&] { parameter_update(*payload); });
  read_event([&] { batch_update(*payload); });
  read_event([&] { delta(*payload); });
  read_event([&] { cursor(*payload); });
  read_event([&] { message(*payload); });
  // Every category, whatever the payload says, so the schema is reached without the
  // fuzzer having to spell a category name first.
  if (payload->is_object()) {
    for (const auto& category : params::categories()) validate(category.name, *payload);
  }
  return 0;
}
