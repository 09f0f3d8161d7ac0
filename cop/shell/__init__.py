"""The app shell: navigation, the sign-in gate and page guard, the sidebar, forms, caches,
lazy panels and formatting. Capabilities' ui/ modules build on it; it imports no capability's ui.
"""
