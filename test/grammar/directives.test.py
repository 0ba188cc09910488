# SYNTAX TEST "source.python" "libvirt-gate comment directives (injected into source.python)"
# The Python grammar here is a stub with MagicPython's comment and string scopes
# (test/grammar/python-stub.tmLanguage.json): VS Code's own is not on npm.

dom.fsFreeze()  # libvirt-gate: ignore[LVG002]
#                 ^^^^^^^^^^^^ comment.line.number-sign.python meta.directive.libvirt-gate keyword.other.directive.libvirt-gate
#                             ^ punctuation.separator.key-value.libvirt-gate
#                               ^^^^^^ keyword.control.directive.ignore.libvirt-gate
#                                     ^ punctuation.definition.list.begin.libvirt-gate
#                                      ^^^^^^ constant.other.rule-code.libvirt-gate
#                                            ^ punctuation.definition.list.end.libvirt-gate

flags = POSTCOPY  # libvirt-gate: ignore[LVG001,LVG002]
#                                        ^^^^^^ constant.other.rule-code.libvirt-gate
#                                              ^ punctuation.separator.comma.libvirt-gate
#                                               ^^^^^^ constant.other.rule-code.libvirt-gate
#                                                     ^ punctuation.definition.list.end.libvirt-gate

x = 1  # libvirt-gate: ignore[LVG001, LVG7]
#                                     ^^^^ invalid.illegal.rule-code.libvirt-gate

# libvirt-gate: ignore-file
# ^^^^^^^^^^^^ keyword.other.directive.libvirt-gate
#               ^^^^^^^^^^^ keyword.control.directive.ignore-file.libvirt-gate

dom.rename(n)  # noqa  libvirt-gate: ignore
#                      ^^^^^^^^^^^^ keyword.other.directive.libvirt-gate
#                                    ^^^^^^ keyword.control.directive.ignore.libvirt-gate

# not a directive: my-libvirt-gate: ignore[LVG001]
#                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - meta.directive.libvirt-gate

s = "# libvirt-gate: ignore[LVG001]"
#      ^^^^^^^^^^^^ string.quoted.single.python - keyword.other.directive.libvirt-gate
