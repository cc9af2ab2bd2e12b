"""Settings for seed-broken: the shared settings, unchanged.

The settings were never the problem in the guide's project; api/index.py was.
"""

from pages.base_settings import *  # noqa: F403
