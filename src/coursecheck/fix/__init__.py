"""``coursecheck fix``: re-encode the lessons that fail the video rules into a new folder.

The stages follow the data: :mod:`~coursecheck.fix.plan` decides what to do with each file from
the source course's facts and findings; :mod:`~coursecheck.fix.encode` turns one lesson's plan
into an ffmpeg command (built with ffmpeg-python); :mod:`~coursecheck.fix.execute` runs the
commands safely, with progress; :mod:`~coursecheck.fix.main` ties them together and checks the
result. The source course is only ever read.
"""
