#include "redis/reply.hpp"

namespace opp::redis {

Reply to_reply(const redisReply& raw) {
  Reply reply;
  switch (raw.type) {
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
    case REDIS_REPLY_STRING:
      reply.kind = raw.type == REDIS_REPLY_STATUS  ? Reply::Kind::kStatus
                   : raw.type == REDIS_REPLY_ERROR ? Reply::Kind::kError
                                                   : Reply::Kind::kString;
      reply.str.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_INTEGER:
      reply.kind = Reply::Kind::kInteger;
      reply.integer = raw.integer;
      break;
    case REDIS_REPLY_ARRAY:
      reply.kind = Reply::Kind::kArray;
      reply.elements.reserve(raw.elements);
      for (size_t i = 0; i < raw.elements; ++i) reply.elements.push_back(to_reply(*raw.element[i]));
      break;
    default:
      reply.kind = Reply::Kind::kNil;
  }
  return reply;
}

}  // namespace opp::redis
