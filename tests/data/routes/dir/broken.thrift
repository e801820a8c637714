service Broken {
  void f(1: i32 a
}
