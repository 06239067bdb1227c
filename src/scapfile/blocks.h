/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Block types of the scap capture format (scap_savefile.h in libscap), shared
 * by the reader and the writer.
 */
#ifndef SAKER_SCAPFILE_BLOCKS_H
#define SAKER_SCAPFILE_BLOCKS_H

#define SHB_BLOCK_TYPE 0x0A0D0D0A
#define SHB_MAGIC 0x1A2B3C4D
#define MI_BLOCK 0x201
#define PL_V1 0x202
#define PL_V2 0x207
#define PL_V3 0x209
#define PL_V4 0x210
#define PL_V5 0x211
#define PL_V6 0x212
#define PL_V7 0x213
#define PL_V8 0x214
#define PL_V9 0x215
#define FDL_V1 0x203
#define FDL_V2 0x218
#define EV_V1 0x204
#define EV_V2 0x216
#define EV_V2_LARGE 0x221
#define IL_V1 0x205
#define IL_V2 0x219
#define UL_V1 0x206
#define UL_V2 0x220
#define EVF_V1 0x208
#define EVF_V2 0x217
#define EVF_V2_LARGE 0x222

#endif
