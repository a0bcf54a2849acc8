"""memchat: `flet build` and `make mobile` start the app here (a window, the browser, or the phone)."""

import flet as ft

from memchat_mobile import web_server
from memchat_mobile.app import main

web_server.mend()  # in a browser, a reload no longer freezes the page (see web_server.py)

# In a browser, CanvasKit draws the app rather than skwasm, which Flet's WebAssembly build picks in Chromium by
# default. Skwasm has no fallback when the browser gives it no WebGL context (no GPU, or one a busy machine
# lost): it traps and the page stops drawing. CanvasKit falls back to a software surface, and Flet documents it
# as the faster of the two at the byte buffers a Flet app exchanges on every update. Phones are not affected.
ft.run(main, web_renderer=ft.WebRenderer.CANVAS_KIT)
