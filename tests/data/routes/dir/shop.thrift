/**
 * A shop for the route-listing tests. Doc text is hostile on purpose:
 * <script>alert("doc")</script> & </table> | pipes `ticks` *stars* [link](http://x.invalid)
 */
include "defs.thrift"
include "types/money.thrift"

/** Price -> money.Amount -> money.Cents -> i64: a typedef chain across files. */
typedef money.Amount Price

/** A tree node, recursive through children, parent and by_name. */
struct Node {
  /** <b>bold</b> name */
  1: required string name,
  2: list<Node> children,
  3: optional Node parent,
  4: map<string, Node> by_name,
}

/** Exactly one of them. */
union Pick {
  1: Node node,
  2: i32 leaf,
  3: defs.Level level,
}

struct Order {
  /** What it costs <img src=x onerror=alert(1)>. */
  1: required Price price,
  2: defs.Level level = defs.Level.HIGH,
  /** Filled by the gateway. */
  3: string merchant_id,
  4: optional money.Money total,
  5: map<defs.Level, list<Price>> by_level,
  6: set<binary> blobs,
  7: i64 big (api.js_conv = "true"),
  8: string note (api.key = "memo"),
  9: optional i16 retries = 3,
  10: list<i8> small = [1, -2],
  11: map<i32, string> labels = {1: "one"},
  12: money.Money fallback = {"amount": 7},
}

exception ShopError {
  1: i32 code,
  2: string msg,
}

exception Plain {
  1: string reason,
}

/** The base: inherited functions come first. */
service BaseSvc {
  /** Health check. */
  string Ping(1: string s) (api.get = '/shop/ping')
}

service ShopSvc extends BaseSvc {
  Order PlaceOrder(1: Order order) throws (1: ShopError e, 2: Plain p) (api.post = '/shop/order/place')
  Node Walk(1: Node root, 2: i32 depth)
  Pick Choose(1: Pick pick)
  money.Cents Total(1: list<Price> prices)
  oneway void Notify(1: string what)
  void Reset()
  /** Its name is PlaceOrder's route segment, so `method=place` reaches PlaceOrder. */
  void place()
}
