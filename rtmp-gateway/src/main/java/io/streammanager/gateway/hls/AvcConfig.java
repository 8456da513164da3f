package io.streammanager.gateway.hls;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.2.4.1, the body of FLV's AVC sequence header and of the avcC
 * box) with what a master playlist needs from it: the RFC 6381 codec string {@code avc1.PPCCLL} and the picture size
 * from the first SPS. Pure code.
 *
 * <pre>
 *  version=1 | profile | compatibility | level | 0xFC|lengthSizeMinusOne | 0xE0|numSps | u16 spsLength | sps ...
 * </pre>
 */
record AvcConfig(byte[] record, int profile, int compatibility, int level, int width, int height) {

    static AvcConfig parse(byte[] record) {
        if (record.length < 8 || record[0] != 1) {
            throw new IllegalArgumentException("not an AVCDecoderConfigurationRecord: " + record.length + " bytes, version "
                    + (record.length > 0 ? record[0] : -1));
        }
        int spsCount = record[5] & 0x1F;
        int spsLength = (record[6] & 0xFF) << 8 | record[7] & 0xFF;
        if (spsCount < 1 || 8 + spsLength > record.length) {
            throw new IllegalArgumentException("AVC config has " + spsCount + " SPS of " + spsLength + " bytes in "
                    + record.length + " bytes");
        }
        int[] size = Sps.pictureSize(Arrays.copyOfRange(record, 8, 8 + spsLength));
        return new AvcConfig(record.clone(), record[1] & 0xFF, record[2] & 0xFF, record[3] & 0xFF, size[0], size[1]);
    }

    /** RFC 6381: {@code avc1.} then profile_idc, the constraint flags byte and level_idc in hex. */
    String codec() {
        return "avc1." + HexFormat.of().toHexDigits((byte) profile) + HexFormat.of().toHexDigits((byte) compatibility)
                + HexFormat.of().toHexDigits((byte) level);
    }

    /** Reads the picture size out of an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1). */
    static final class Sps {

        private final byte[] rbsp;
        private int bit;

        private Sps(byte[] rbsp) {
            this.rbsp = rbsp;
        }

        /** {@code nal}: the SPS NAL unit with its one-byte header, emulation prevention bytes included. */
        static int[] pictureSize(byte[] nal) {
            Sps r = new Sps(unescape(nal));
            r.bits(8); // NAL header
            int profile = r.bits(8);
            r.bits(16); // constraint flags, level_idc
            r.ue(); // seq_parameter_set_id
            int chromaFormat = 1;
            boolean separateColourPlanes = false;
            if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
                    || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139
                    || profile == 134 || profile == 135) {
                chromaFormat = r.ue();
                if (chromaFormat == 3) {
                    separateColourPlanes = r.bits(1) == 1;
                }
                r.ue(); // bit_depth_luma_minus8
                r.ue(); // bit_depth_chroma_minus8
                r.bits(1); // qpprime_y_zero_transform_bypass_flag
                if (r.bits(1) == 1) { // seq_scaling_matrix_present_flag
                    for (int i = 0; i < (chromaFormat != 3 ? 8 : 12); i++) {
                        if (r.bits(1) == 1) {
                            r.skipScalingList(i < 6 ? 16 : 64);
                        }
                    }
                }
            }
            r.ue(); // log2_max_frame_num_minus4
            int pocType = r.ue();
            if (pocType == 0) {
                r.ue();
            } else if (pocType == 1) {
                r.bits(1);
                r.se();
                r.se();
                int cycle = r.ue();
                for (int i = 0; i < cycle; i++) {
                    r.se();
                }
            }
            r.ue(); // max_num_ref_frames
            r.bits(1); // gaps_in_frame_num_value_allowed_flag
            int widthMbs = r.ue() + 1;
            int heightMapUnits = r.ue() + 1;
            int frameMbsOnly = r.bits(1);
            if (frameMbsOnly == 0) {
                r.bits(1); // mb_adaptive_frame_field_flag
            }
            r.bits(1); // direct_8x8_inference_flag
            int left = 0;
            int right = 0;
            int top = 0;
            int bottom = 0;
            if (r.bits(1) == 1) {
                left = r.ue();
                right = r.ue();
                top = r.ue();
                bottom = r.ue();
            }
            int arrayType = separateColourPlanes ? 0 : chromaFormat;
            int cropX = arrayType == 0 ? 1 : arrayType == 3 ? 1 : 2;
            int cropY = (arrayType == 0 ? 1 : arrayType == 1 ? 2 : 1) * (2 - frameMbsOnly);
            int width = widthMbs * 16 - cropX * (left + right);
            int height = (2 - frameMbsOnly) * heightMapUnits * 16 - cropY * (top + bottom);
            return new int[] {width, height};
        }

        private static byte[] unescape(byte[] nal) {
            byte[] out = new byte[nal.length];
            int n = 0;
            int zeros = 0;
            for (byte b : nal) {
                if (zeros >= 2 && b == 3) {
                    zeros = 0;
                    continue; // emulation_prevention_three_byte
                }
                zeros = b == 0 ? zeros + 1 : 0;
                out[n++] = b;
            }
            return Arrays.copyOf(out, n);
        }

        private int bits(int count) {
            int value = 0;
            for (int i = 0; i < count; i++) {
                if (bit >= rbsp.length * 8) {
                    throw new IllegalArgumentException("SPS ends inside a field at bit " + bit);
                }
                value = value << 1 | (rbsp[bit >> 3] >> (7 - (bit & 7))) & 1;
                bit++;
            }
            return value;
        }

        private int ue() {
            int zeros = 0;
            while (bits(1) == 0) {
                if (++zeros > 31) {
                    throw new IllegalArgumentException("SPS Exp-Golomb code longer than 32 bits at bit " + bit);
                }
            }
            return (int) ((1L << zeros) - 1 + (zeros == 0 ? 0 : bits(zeros)));
        }

        private int se() {
            int k = ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }

        private void skipScalingList(int size) {
            int last = 8;
            int next = 8;
            for (int j = 0; j < size; j++) {
                if (next != 0) {
                    next = (last + se() + 256) % 256;
                }
                last = next == 0 ? last : next;
            }
        }
    }
}
