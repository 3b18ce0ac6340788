import pytest

from dropscribe_stages.media.streams import SILENT_DB, Stream, choose_stream, parse_ffmpeg_info
from dropscribe_stages.runtime.errors import BadInput

MKV = """Input #0, matroska,webm, from 'file:/tmp/two.mkv':
  Duration: 01:02:03.50, start: 0.000000, bitrate: 135 kb/s
  Stream #0:0: Video: h264 (High), yuv420p(progressive), 64x64, 25 fps (default)
  Stream #0:1: Audio: aac (LC), 48000 Hz, stereo, fltp (default)
    Metadata:
      title           : Stream #0:9: Audio: fake (default)
  Stream #0:2(eng): Audio: ac3, 48000 Hz, 5.1(side), fltp, 384 kb/s
  Stream #0:3[0x3](ger): Audio: pcm_s16le ([1][0][0][0] / 0x0001), 16000 Hz, 3 channels, s16, 256 kb/s
At least one output file must be specified
"""
MP3_WITH_COVER = """Input #0, mp3, from 'file:song.mp3':
  Duration: 00:00:53.34, start: 0.025057, bitrate: 64 kb/s
  Stream #0:0: Audio: mp3 (mp3float), 44100 Hz, mono, fltp, 64 kb/s
  Stream #0:1: Video: mjpeg (Baseline), yuvj420p(pc), 300x300, 90k tbr, 90k tbn (attached pic)
"""


def test_parses_streams_languages_channels_and_duration_from_ffmpeg_output():
    probe = parse_ffmpeg_info(MKV)
    assert probe.has_video is True
    assert abs(probe.duration - 3723.5) < 1e-6
    assert [(s.index, s.codec, s.channels, s.default, s.language) for s in probe.audio_streams] == [
        (1, "aac", 2, True, None),
        (2, "ac3", 6, False, "eng"),
        (3, "pcm_s16le", 3, False, "ger"),
    ], "metadata lines that look like streams are not streams"


def test_cover_art_is_not_video_and_unreadable_input_is_none():
    probe = parse_ffmpeg_info(MP3_WITH_COVER)
    assert probe.has_video is False and [s.index for s in probe.audio_streams] == [0]
    assert parse_ffmpeg_info("notes.md: Invalid data found when processing input\n") is None
    assert probe.frame_rate is None, "cover art has no frame rate"


def test_the_video_streams_frame_rate_is_read():
    assert parse_ffmpeg_info(MKV).frame_rate == 25.0
    ntsc = MKV.replace("64x64, 25 fps", "1920x1080 [SAR 1:1 DAR 16:9], 29.97 fps, 29.97 tbr, 30k tbn")
    assert parse_ffmpeg_info(ntsc).frame_rate == 29.97


STREAMS = [Stream(0, "aac", 2, True), Stream(1, "aac", 2, False, "eng"), Stream(2, "aac", 2, False)]


def measured(levels):
    calls = []

    def measure(streams):
        calls.append([s.index for s in streams])
        return levels

    return measure, calls


def test_default_with_sound_is_kept_even_when_another_is_louder():
    measure, _ = measured({0: -30.0, 1: -10.0, 2: -120.0})
    choice = choose_stream(STREAMS, None, measure)
    assert choice.stream.index == 0 and "using the default track, stream 0" in choice.warning


def test_silent_default_switches_to_the_loudest_track_with_sound():
    measure, _ = measured({0: SILENT_DB - 20, 1: -25.0, 2: -12.0})
    choice = choose_stream(STREAMS, None, measure)
    assert choice.stream.index == 2
    assert "stream 0 (aac, default), is silent; using stream 2" in choice.warning and "audioStream" in choice.warning


def test_all_silent_keeps_the_default_and_says_so():
    measure, _ = measured({0: -120.0, 1: -90.0, 2: SILENT_DB - 1})
    choice = choose_stream(STREAMS, None, measure)
    assert choice.stream.index == 0 and "seems silent" in choice.warning


def test_unmeasured_tracks_keep_the_default():
    measure, _ = measured({})
    choice = choose_stream(STREAMS, None, measure)
    assert choice.stream.index == 0 and "could not be compared" in choice.warning


def test_requested_or_single_stream_is_not_measured():
    measure, calls = measured({})
    assert choose_stream(STREAMS, 1, measure).stream.index == 1
    single = choose_stream(STREAMS[:1], None, measure)
    assert single.stream.index == 0 and single.warning is None
    assert calls == []
    with pytest.raises(BadInput, match=r"audioStream 7 does not exist.*stream 1 \(aac, eng\)"):
        choose_stream(STREAMS, 7, measure)


def test_without_a_default_flag_the_first_stream_is_the_default():
    streams = [Stream(3, "opus", 2, False), Stream(4, "opus", 2, False)]
    choice = choose_stream(streams, None, measured({3: -20.0, 4: -20.0})[0])
    assert choice.stream.index == 3
