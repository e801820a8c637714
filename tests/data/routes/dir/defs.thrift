/** Include-only: defines no service. */
enum Level {
  /** the lowest */
  LOW = 1,
  HIGH = 5,
  NEG = -3,
}
