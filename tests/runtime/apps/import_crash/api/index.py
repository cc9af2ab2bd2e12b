print("before the crash")
import not_a_module_anywhere  # noqa: F401

app = None
