// CAP 1.2 (OASIS, 2010): every larm of a space as a CAP alert, and each region's kvittens as a
// CAP Ack referencing it. status Actual or Exercise, msgType Alert, scope Private with the
// addressed regions as addresses; info in Swedish (sv-SE) with the readiness level asked for;
// one area per addressed region; times with a numeric offset. Pure: no I/O, no clock.
#ifndef LAGESBILD_INTEROP_CAP_H_
#define LAGESBILD_INTEROP_CAP_H_

#include <string>

#include "lagesbild/core/config.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

inline constexpr const char* kCapNamespace = "urn:oasis:names:tc:emergency:cap:1.2";

// "lagesbild@<healthcare region>": the sender of every alert this server makes.
std::string CapSender(const HealthcareRegionConfig& config);
// The alert's identifier: "lagesbild.<healthcare region>.<space>.<seq>".
std::string CapIdentifier(const HealthcareRegionConfig& config, const SpaceState& state,
                          const MessageState& message);

// The alert of a larm (message kind alert).
std::string CapAlert(const HealthcareRegionConfig& config, const SpaceState& state,
                     const MessageState& message);
// The acknowledgement of `region` (which must be in message.acks) as a CAP Ack.
std::string CapAck(const HealthcareRegionConfig& config, const SpaceState& state,
                   const MessageState& message, const std::string& region);

// GET /api/cap without an id: every larm the space holds (recent and open ones), with links to
// its alert and its acknowledgements, as JSON (docs/protocol.md).
std::string CapIndexJson(const HealthcareRegionConfig& config, const SpaceState& state);

}  // namespace lagesbild

#endif  // LAGESBILD_INTEROP_CAP_H_
