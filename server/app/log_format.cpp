#include "app/log_format.hpp"

#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include "net/access_log.hpp"

namespace harmonic::app {

namespace {

// The message as JSON members for the json format's %* flag: `"msg":"<escaped text>"`, or
// for an access line (whose message is a JSON object of fields) `"msg":"access",<fields>`.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&, spdlog::memory_buf_t& destination) override {
    const std::string_view text(message.payload.data(), message.payload.size());
    const std::string_view logger(message.logger_name.data(), message.logger_name.size());
    const bool fields =
        logger == net::kAccessLoggerName && text.size() > 2 && text.front() == '{' && text.back() == '}';
    std::string out;
    if (fields) {
      out = "\"msg\":\"access\",";
      out.append(text.substr(1, text.size() - 2));
    } else {
      // Messages may quote client input that is not UTF-8: replaced, never an exception.
      out = "\"msg\":" + nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    destination.append(out.data(), out.data() + out.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessageFlag>(); }
};

constexpr const char* kTextPattern = "%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v";
// No colour codes (%^ %$) in JSON; %l is one of trace..critical, never needing escapes.
constexpr const char* kJsonPattern = R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l",%*})";

}  // namespace

void configure_logging(const std::string& format, const std::string& level) {
  net::access_logger();  // registered first, so the pattern and level below reach it
  if (format == kLogFormatJson) {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(kJsonPattern);
    spdlog::set_formatter(std::move(formatter));
  } else {
    spdlog::set_pattern(kTextPattern);
  }
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace harmonic::app
