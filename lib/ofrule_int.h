/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lib/ofrule*.c share and users of lib/ofrule.h do not see: the match
 * fields (name, where in struct fp_flow_key, value syntax, OpenFlow
 * prerequisite) and the OpenFlow actions a rule holds.
 */
#ifndef FP_LIB_OFRULE_INT_H
#define FP_LIB_OFRULE_INT_H

#include "ofrule.h"
#include "odp_text.h"

/* How a field's value is written and where its bits go in the key. */
enum fp_fkind {
	FK_U8, /* a byte: nw_proto, nw_ttl, icmp_type... */
	FK_BE16, /* network order: dl_type, tp_src, arp_op */
	FK_U32, /* host order: in_port */
	FK_BE64, /* tun_id, printed in hex */
	FK_MAC,
	FK_IPV4, /* with /prefix or /dotted mask */
	FK_IPV6, /* with /prefix or /address mask */
	FK_VID, /* dl_vlan: VID bits of vlan[0].tci, plus the CFI "present" */
	FK_PCP, /* dl_vlan_pcp: PCP bits of vlan[0].tci, plus CFI */
	FK_TCI, /* vlan_tci: the whole TCI, CFI as OVS keys it */
	FK_TOS, /* nw_tos: DSCP in its TOS position (low two bits zero) */
	FK_ECN, /* nw_ecn: the low two bits of the TOS byte */
	FK_TCP_FLAGS, /* numbers, "syn|ack" or "+syn-ack" */
};

/* OpenFlow prerequisites: what the match must pin down before a field
 * means anything (OVS's enum mf_prereqs). */
enum fp_prereq {
	PR_NONE,
	PR_IP,
	PR_IPV6,
	PR_IP_ANY,
	PR_ARP, /* arp or rarp */
	PR_IP_ARP, /* ip, arp or rarp: nw_src, nw_dst */
	PR_IP_ANY_ARP, /* nw_proto: the ARP opcode under arp */
	PR_L4, /* tcp, udp or sctp over either IP */
	PR_TCP,
	PR_UDP,
	PR_SCTP,
	PR_ICMP,
	PR_ICMP6,
	PR_ICMP_ANY, /* icmp or icmp6 */
	PR_VLAN, /* set_field of vlan_vid/vlan_pcp: the match has a tag */
};

struct fp_field {
	const char *name; /* as matches print it */
	const char *setname; /* as set_field prints it */
	const char *alias; /* also accepted, or NULL */
	unsigned char kind; /* enum fp_fkind */
	unsigned char prereq; /* enum fp_prereq */
	unsigned char size; /* bytes at off */
	bool maskable;
	unsigned short off; /* offset in struct fp_flow_key */
};

/* Names of the 12 TCP flag bits, lowest first, as matches print them. */
#define FP_TCP_FLAG_BITS 12
extern const char *const fp_tcp_flag_names[FP_TCP_FLAG_BITS];

/* The field called @name (any of its names), or NULL. */
const struct fp_field *fp_field_find(const char *name, size_t len);
/* The field stored at @off with @kind (for printing by position). */
extern const struct fp_field fp_fields[];
extern const unsigned int fp_n_fields;

/*
 * Parse VALUE[/MASK] of @f from [s, s + len) into @key and @mask (only the
 * field's bits; key bits outside the mask are cleared). Masks of
 * non-maskable fields are refused. Returns 0 or -EINVAL with a message
 * naming the token in @in.
 */
int fp_field_parse(struct fp_odp_in *in, const struct fp_field *f,
		   const char *s, size_t len, struct fp_flow_key *key,
		   struct fp_flow_key *mask);
/* Print @f's value (no mask) from @key, as set_field writes it. */
void fp_field_put_value(struct fp_odp_out *o, const struct fp_field *f,
			const struct fp_flow_key *key);
/* Does a match on @key/@mask (or an exact key, mask NULL) satisfy @pr? */
bool fp_prereq_ok(unsigned int pr, const struct fp_flow_key *key,
		  const struct fp_flow_key *mask);
/* "ip, arp or rarp": what a message says @pr needs. */
const char *fp_prereq_name(unsigned int pr);

enum fp_ofact_type {
	OFA_OUTPUT = 1, /* num: port */
	OFA_IN_PORT,
	OFA_NORMAL,
	OFA_FLOOD,
	OFA_ALL,
	OFA_MOD_VLAN_VID, /* num: VID; pushes a tag on an untagged packet */
	OFA_MOD_VLAN_PCP, /* num: PCP; likewise */
	OFA_STRIP_VLAN, /* strip_vlan and pop_vlan */
	OFA_PUSH_VLAN, /* num: TPID */
	OFA_SET_FIELD, /* field, val: mod_dl_src..., set_field */
	OFA_DEC_TTL,
	OFA_SET_TUNNEL, /* num: tunnel id; set_tunnel, set_tunnel64 */
};

/* One OpenFlow action. mod_dl_src:X and set_field:X->eth_src are the same
 * action (OFA_SET_FIELD), printed as they were written. */
struct fp_ofaction {
	unsigned int type; /* enum fp_ofact_type */
	unsigned int flags; /* enum fp_ofact_flags */
	const struct fp_field *field; /* OFA_SET_FIELD */
	const char *mod_name; /* OFA_SET_FIELD as mod_*: "mod_dl_src" */
	__u64 num;
	/* OFA_SET_FIELD: the value, in a key at field->off. */
	struct fp_flow_key val;
};

enum fp_ofact_flags {
	OFA_F_TUN64 = 1 << 0, /* printed as set_tunnel64 */
};

/* Most OpenFlow actions one rule may hold. */
#define FP_RULE_MAX_ACTS 256

/*
 * The match part of a rule line, for fp_rule_parse() (@need_actions: the
 * "actions=" part is required and parsed) and for fp_rules_del() (no
 * actions allowed). Fills priority, key, mask and the actions of @r.
 */
int fp_rule_parse_line(const char *s, struct fp_rule *r, bool need_actions,
		       char *err, size_t errlen);

/* The actions text after "actions=". */
int fp_ofactions_parse(struct fp_odp_in *in, const char *s, struct fp_rule *r);
void fp_ofactions_format(struct fp_odp_out *o, const struct fp_rule *r);

#endif
