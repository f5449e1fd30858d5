# Extra rules for the KVM selftests Makefile: build the demonstration
# program with the selftests' flags and library.  DEMO_DIR is this folder.
$(OUTPUT)/gmem_demo: $(DEMO_DIR)/gmem_demo.c $(LIBKVM_OBJS)
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) $(TARGET_ARCH) $< $(LIBKVM_OBJS) $(LDLIBS) -o $@
