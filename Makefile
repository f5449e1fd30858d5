# guest_memfd for pKVM: build the series, boot it under QEMU, run the KVM
# selftests inside.  See README.md.

S := scripts
STAGE := $(S)/stage.sh
ARCHES := arm64 x86_64
BOOTS := arm64-pkvm arm64-nvhe x86_64
PLANS := check bench run soak
LOGS := build/logs

.PHONY: all check run bench soak deps tree export kernels checkpatch bisect lint clean

all: check

deps:
	@$(S)/deps.sh

tree: deps
	@$(STAGE) tree $(S)/tree.sh

export:
	@$(S)/export.sh

# One kernel build at a time: two at once only thrash a small machine.
kernel-%: tree
	@$(STAGE) kernel-$* $(S)/build-kernel.sh $*

# The same kernel without debug options, for the benchmarks.
kernel-%-bench: tree
	@$(STAGE) kernel-$*-bench $(S)/build-kernel.sh $* bench

kernels: $(addprefix kernel-,$(ARCHES))

# The VMM and its guest (arm64), selftests and initramfs of an arch, with
# every plan in it.
initramfs-%: kernel-%
	@$(if $(filter arm64,$*),$(STAGE) vmm-$* $(S)/build-vmm.sh $*,:)
	@$(STAGE) selftests-$* $(S)/build-selftests.sh $* $(PLANS)
	@$(STAGE) initramfs-$* $(S)/initramfs.sh $* $(PLANS)

# boot-BOOT-PLAN, e.g. boot-arm64-pkvm-check: BOOT's arch is its first word.
# The bench plan boots the kernel without debug options (see build-kernel.sh).
define boot_rule
boot-$(1)-$(2): initramfs-$(firstword $(subst -, ,$(1))) \
		$(if $(filter bench,$(2)),kernel-$(firstword $(subst -, ,$(1)))-bench)
	@$$(STAGE) boot-$(1)-$(2) $$(S)/boot.sh $(1) $(2)
endef
$(foreach b,$(BOOTS),$(foreach p,$(PLANS),$(eval $(call boot_rule,$(b),$(p)))))

checkpatch: tree
	@$(STAGE) checkpatch $(S)/checkpatch.sh

lint:
	@shellcheck -x $(S)/*.sh .ci/run

# The tests: checkpatch, then every boot with the "check" plan.
check:
	@rm -f build/stages.txt
	@$(MAKE) --no-print-directory checkpatch lint $(addprefix boot-,$(addsuffix -check,$(BOOTS)))
	@cat build/stages.txt
	@$(S)/reliability.sh $(patsubst %,$(LOGS)/%-check.log,$(BOOTS))
	@$(S)/verdict.sh $(LOGS)/checkpatch.log $(patsubst %,$(LOGS)/%-check.log,$(BOOTS))

bench:
	@rm -f build/stages.txt
	@$(MAKE) --no-print-directory $(addprefix boot-,$(addsuffix -bench,$(BOOTS)))
	@cat build/stages.txt
	@$(S)/bench-report.sh $(patsubst %,$(LOGS)/%-bench.log,$(BOOTS))

# The random tester for longer, with seeds from the clock (see soak.plan).
soak:
	@rm -f build/stages.txt
	@$(MAKE) --no-print-directory $(addprefix boot-,$(addsuffix -soak,$(BOOTS)))
	@cat build/stages.txt
	@$(S)/reliability.sh $(patsubst %,$(LOGS)/%-soak.log,$(BOOTS))
	@$(S)/verdict.sh $(patsubst %,$(LOGS)/%-soak.log,$(BOOTS))

# The demonstration on the pKVM kernel.
run:
	@rm -f build/stages.txt
	@$(MAKE) --no-print-directory boot-arm64-pkvm-run
	@$(S)/show-run.sh $(LOGS)/arm64-pkvm-run.log

bisect: $(addprefix bisect-,$(ARCHES))

bisect-%: tree
	@$(STAGE) bisect-$* $(S)/bisect-build.sh $*

clean:
	rm -rf build/kernel-* build/selftests-* build/vmm-* build/initramfs-* build/logs build/stages.txt
