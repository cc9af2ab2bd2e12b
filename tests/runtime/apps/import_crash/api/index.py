print("before the crash")
import not_a_module_anywhere  # noqa: E402, F401

app = None
