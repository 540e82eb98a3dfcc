"""The demo catalog: reference data, the 25S tutorial-event export, a synthetic scale-up.

``demo.loader.load_demo_catalog`` is the entry point; the management command
``load_demo_catalog`` only parses arguments and prints its report.
"""
