# the command line: main.c, the subcommand table (cmd) and one file per
# subcommand (cmd_*). The glue: may call every area (mk/layers.txt).
noinst_LIBRARIES += src/cli/libcli.a
src_cli_libcli_a_SOURCES = src/cli/cmd.c src/cli/cmd.h \
	src/cli/cmd_detect.c src/cli/cmd_classify.c src/cli/cmd_eval.c src/cli/cmd_train.c \
	src/cli/cmd_scan.c src/cli/cmd_tracks.c src/cli/cmd_train_mood.c src/cli/cmd_train_mood_clips.c src/cli/cmd_train_mood_aux.c src/cli/cmd_train_mood_opts.c src/cli/cmd_train_mood_priv.h \
	src/cli/cmd_recommend.c src/cli/cmd_mood.c src/cli/cmd_cameras.c src/cli/cmd_play.c \
	src/cli/cmd_shows.c src/cli/cmd_remote.c src/cli/cmd_ui.c src/cli/cmd_headless.c \
	src/cli/cmd_face.c src/cli/cmd_face.h src/cli/cmd_history.c
CLI_LIBS = src/cli/libcli.a $(FRONT_LIBS) $(APP_LIBS) $(VISION_LIBS) $(LIBRARY_LIBS) $(RECOMMEND_LIBS) $(HISTORY_LIBS) $(AUDIO_LIBS) $(CAPTURE_LIBS) $(EMOTION_LIBS) $(DETECT_LIBS)

bin_PROGRAMS = src/emotune
src_emotune_SOURCES = src/cli/main.c
src_emotune_LDADD = $(CLI_LIBS) $(EMO_LIBS)
# -rdynamic: libdarknet's gemm/im2col_cpu/col2im_cpu resolve to ours (dn.c),
# also when src/emotion/dn.c opens libdarknet later with dlopen.
src_emotune_LDFLAGS = -rdynamic

# The layering: mk/layers.txt, checked on the sources and the built libraries.
TESTS += tests/cli/layers.sh
EXTRA_DIST += tests/cli/layers.sh tools/layers-check tools/layout-check tools/size-check mk/layers.txt
