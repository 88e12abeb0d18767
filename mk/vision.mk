# live mood: the vision thread (capture, detection, classification) and the
# mood window: issue 5. Its tests are in mk/capture.mk.
noinst_LIBRARIES += src/vision/libvision.a
src_vision_libvision_a_SOURCES = src/vision/vision.c src/vision/vision.h src/vision/vision_engine.c \
	src/vision/moodwin.c src/vision/moodwin.h
VISION_LIBS = src/vision/libvision.a $(CAPTURE_LIBS) $(DETECT_LIBS) $(EMOTION_LIBS)
