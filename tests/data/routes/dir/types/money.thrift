typedef i64 Cents
typedef Cents Amount

struct Money {
  1: Amount amount,
  2: string currency = "CNY",
}
