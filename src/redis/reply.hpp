#pragma once
// hiredis's reply tree as a Reply (redis_client.hpp), shared by both clients.

#include <hiredis/hiredis.h>

#include "redis/redis_client.hpp"

namespace opp::redis {

Reply to_reply(const redisReply& raw);

}  // namespace opp::redis
