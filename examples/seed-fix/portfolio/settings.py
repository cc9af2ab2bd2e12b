"""Settings for seed-fix: the shared settings, unchanged.

The guide changed only api/index.py, so the settings are the same as in seed-broken.
"""

from pages.base_settings import *  # noqa: F403
