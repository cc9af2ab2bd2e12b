"""The real ``vercel build``: its output folder read without running anything
(:mod:`~vercel_lab.buildoutput.reader`), its function bundles run as Lambda runs them
(:mod:`~vercel_lab.buildoutput.bundle`), and the parity harness that builds every example with
Vercel's CLI and compares the bundles' answers with the emulation's
(:mod:`~vercel_lab.buildoutput.parity`, ``python -m vercel_lab.buildoutput.parity``).
"""
